package org.apache.spark.scheduler.terrace;

import dev.terrace.spark.master.TerraceMasterUrl;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.scheduler.SchedulerBackend;
import org.apache.spark.scheduler.TaskScheduler;
import org.apache.spark.scheduler.TaskSchedulerImpl;

/**
 * Spark's entry point for master URLs {@code terrace://host:port} and
 * {@code terrace://zk://host:2181/terrace}, found through
 * {@code META-INF/services/org.apache.spark.scheduler.ExternalClusterManager}. The interface is
 * {@code private[spark]} in Scala but public in bytecode, hence this package.
 */
public final class TerraceClusterManager implements ExternalClusterManager {
  @Override
  public boolean canCreate(String masterUrl) {
    return TerraceMasterUrl.isTerrace(masterUrl);
  }

  @Override
  public TaskScheduler createTaskScheduler(SparkContext sc, String masterUrl) {
    return new TaskSchedulerImpl(sc);
  }

  @Override
  public SchedulerBackend createSchedulerBackend(SparkContext sc, String masterUrl, TaskScheduler scheduler) {
    return new TerraceSchedulerBackend((TaskSchedulerImpl) scheduler, sc, TerraceMasterUrl.parse(masterUrl));
  }

  @Override
  public void initialize(TaskScheduler scheduler, SchedulerBackend backend) {
    ((TaskSchedulerImpl) scheduler).initialize(backend);
  }
}
