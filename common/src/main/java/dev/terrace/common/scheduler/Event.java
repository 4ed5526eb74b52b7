package dev.terrace.common.scheduler;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.InverseOffer;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.OperationStatus;
import dev.terrace.common.model.TaskStatus;
import java.util.List;

/** Mesos v1 scheduler `Event`: one record of the SUBSCRIBE stream. */
public record Event(
    Type type,
    Subscribed subscribed,
    Offers offers,
    InverseOffers inverseOffers,
    Rescind rescind,
    RescindInverseOffer rescindInverseOffer,
    Update update,
    UpdateOperationStatus updateOperationStatus,
    Message message,
    Failure failure,
    Error error) {

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    SUBSCRIBED,
    OFFERS,
    INVERSE_OFFERS,
    RESCIND,
    RESCIND_INVERSE_OFFER,
    UPDATE,
    UPDATE_OPERATION_STATUS,
    MESSAGE,
    FAILURE,
    ERROR,
    HEARTBEAT
  }

  public record Subscribed(FrameworkId frameworkId, Double heartbeatIntervalSeconds,
      MasterInfo masterInfo) {}

  public record Offers(List<Offer> offers) {
    public Offers {
      offers = offers == null ? List.of() : List.copyOf(offers);
    }
  }

  public record InverseOffers(List<InverseOffer> inverseOffers) {
    public InverseOffers {
      inverseOffers = inverseOffers == null ? List.of() : List.copyOf(inverseOffers);
    }
  }

  public record Rescind(OfferId offerId) {}

  public record RescindInverseOffer(OfferId inverseOfferId) {}

  public record Update(TaskStatus status) {}

  public record UpdateOperationStatus(OperationStatus status) {}

  public record Message(AgentId agentId, ExecutorId executorId, Bytes data) {}

  public record Failure(AgentId agentId, ExecutorId executorId, Integer status) {}

  public record Error(String message) {}

  private static Event of(Type type) {
    return new Event(type, null, null, null, null, null, null, null, null, null, null);
  }

  public static Event subscribed(FrameworkId id, double heartbeatSeconds, MasterInfo master) {
    return new Event(Type.SUBSCRIBED, new Subscribed(id, heartbeatSeconds, master), null, null,
        null, null, null, null, null, null, null);
  }

  public static Event offers(List<Offer> offers) {
    return new Event(Type.OFFERS, null, new Offers(offers), null, null, null, null, null, null,
        null, null);
  }

  public static Event rescind(OfferId offer) {
    return new Event(Type.RESCIND, null, null, null, new Rescind(offer), null, null, null, null,
        null, null);
  }

  public static Event update(TaskStatus status) {
    return new Event(Type.UPDATE, null, null, null, null, null, new Update(status), null, null,
        null, null);
  }

  public static Event inverseOffers(List<InverseOffer> inverseOffers) {
    return new Event(Type.INVERSE_OFFERS, null, null, new InverseOffers(inverseOffers), null, null,
        null, null, null, null, null);
  }

  public static Event rescindInverseOffer(OfferId inverseOffer) {
    return new Event(Type.RESCIND_INVERSE_OFFER, null, null, null, null,
        new RescindInverseOffer(inverseOffer), null, null, null, null, null);
  }

  public static Event updateOperationStatus(OperationStatus status) {
    return new Event(Type.UPDATE_OPERATION_STATUS, null, null, null, null, null, null,
        new UpdateOperationStatus(status), null, null, null);
  }

  /** A custom executor's message for its framework. */
  public static Event message(AgentId agent, ExecutorId executor, dev.terrace.common.json.Bytes data) {
    return new Event(Type.MESSAGE, null, null, null, null, null, null, null,
        new Message(agent, executor, data), null, null);
  }

  /** A custom executor ended ({@code status}: its exit status, when known). */
  public static Event failure(AgentId agent, ExecutorId executor, Integer status) {
    return new Event(Type.FAILURE, null, null, null, null, null, null, null, null,
        new Failure(agent, executor, status), null);
  }

  public static Event error(String message) {
    return new Event(Type.ERROR, null, null, null, null, null, null, null, null, null,
        new Error(message));
  }

  public static Event heartbeat() {
    return of(Type.HEARTBEAT);
  }
}
