package dev.terrace.bench;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AllocationInfo;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.Url;
import dev.terrace.common.model.Value;
import dev.terrace.common.recordio.RecordIO;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The master's hot wire paths: writing an OFFERS event onto a subscription stream, reading an
 * ACCEPT call, and the resource arithmetic an ACCEPT triggers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WireBenchmark {
  private static final String ROLE = "analytics";
  private static final FrameworkId FW = FrameworkId.of("5f0c1a8e-0f3d-4a43-9d2b-3b1c6c1f8e2a-0001");

  private Event offersEvent;
  private byte[] acceptCall;
  private Resources offer;
  private List<Resources> tasks;

  @Setup
  public void setUp() {
    List<Offer> offers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      offers.add(offer(i));
    }
    offersEvent = Event.offers(offers);

    List<TaskInfo> launch = new ArrayList<>();
    tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      List<Resource> res = taskResources(i);
      tasks.add(Resources.of(res));
      launch.add(TaskInfo.command("web-" + i, TaskId.of("web-" + i + "-1b4e28ba"),
              AgentId.of("agent-0"), res, CommandInfo.shell("exec ./server --port $PORT0"))
          .withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
              new ContainerInfo.MesosInfo(Image.docker("library/nginx:1.27")), null)));
    }
    acceptCall = Json.toBytes(Call.accept(FW, List.of(OfferId.of("offer-0")),
        List.of(Operation.launch(launch)), null));
    offer = Resources.of(offers.get(0).resources());
  }

  private static Offer offer(int i) {
    List<Resource> res = List.of(
        Resource.scalar("cpus", 16).withAllocationRole(ROLE),
        Resource.scalar("mem", 65536).withAllocationRole(ROLE),
        Resource.scalar("disk", 512000).withAllocationRole(ROLE),
        Resource.ranges("ports", List.of(new Value.Range(31000, 31999), new Value.Range(33000, 33999)))
            .withAllocationRole(ROLE));
    return new Offer(OfferId.of("offer-" + i), FW, AgentId.of("agent-" + i), "node" + i + ".example.com",
        Url.http("node" + i + ".example.com", null, 5051), new AllocationInfo(ROLE), res,
        List.of(Attribute.text("rack", "r" + (i % 8)), Attribute.text("zone", "z" + (i % 3))),
        null, null);
  }

  private static List<Resource> taskResources(int i) {
    return List.of(
        Resource.scalar("cpus", 0.5).withAllocationRole(ROLE),
        Resource.scalar("mem", 1024).withAllocationRole(ROLE),
        Resource.ranges("ports", List.of(new Value.Range(31000 + 10L * i, 31001 + 10L * i)))
            .withAllocationRole(ROLE));
  }

  /** (a) An OFFERS event with 100 offers, as JSON in a RecordIO frame. */
  @Benchmark
  public byte[] serializeOffersEvent() {
    return RecordIO.encode(Json.toBytes(offersEvent));
  }

  /** (b) An ACCEPT call launching 10 tasks, from bytes to records. */
  @Benchmark
  public Call parseAcceptCall() {
    return Json.parse(acceptCall, Call.class);
  }

  /** (c) An offer minus 10 tasks' resources, each checked for fit first (ports split the range). */
  @Benchmark
  public Resources subtractTasksFromOffer() {
    Resources left = offer;
    for (Resources task : tasks) {
      if (!left.contains(task)) {
        throw new IllegalStateException("task does not fit");
      }
      left = left.minus(task);
    }
    return left;
  }
}
