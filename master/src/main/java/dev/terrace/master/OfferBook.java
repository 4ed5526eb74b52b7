package dev.terrace.master;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AllocationInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Url;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.allocator.Allocator;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's outstanding offers: made from the allocator's decisions, taken by ACCEPT, given
 * back by DECLINE, rescinded when their agent or framework goes away or they time out. Every
 * offer is booked twice (here by id, and on its framework) and every way out of the book hands
 * its resources back to the allocator, so no resource is ever offered twice or lost. Runs on the
 * master's context.
 */
final class OfferBook {
  private static final Logger LOG = LoggerFactory.getLogger(OfferBook.class);

  private final Master master;
  private final Map<OfferId, Offer> offers = new HashMap<>();

  OfferBook(Master master) {
    this.master = master;
  }

  /** Turns allocation decisions into offers, sent in one OFFERS event per framework. */
  void makeOffers(List<Allocator.OfferDecision> decisions) {
    Map<FrameworkEntry, List<Offer>> batches = new LinkedHashMap<>();
    for (Allocator.OfferDecision d : decisions) {
      FrameworkEntry fw = master.framework(d.framework());
      AgentEntry agent = master.agent(d.agent());
      if (fw == null || agent == null || fw.link() == null || !master.admin().offerable(d.agent())) {
        recover(d.framework(), d.agent(), d.resources(), 0);
        continue;
      }
      OfferId id = master.ids().nextOffer(master.info());
      Offer offer = new Offer(id, fw.id, d.agent(), agent.info.hostname(),
          Url.http(agent.info.hostname(), null, agent.info.port() == null ? 5051 : agent.info.port()),
          new AllocationInfo(d.role()), d.resources().toList(d.role()), agent.info.attributes(),
          ExecutorBook.ids(fw, d.agent()), master.maintenance().unavailability(agent));
      offers.put(id, offer);
      fw.offers.put(id, offer);
      var timeout = master.config().offerTimeout();
      if (timeout != null) {
        master.vertx().setTimer(timeout.toMillis(), t -> {
          if (offers.containsKey(id)) {
            LOG.info("Offer {} to framework {} timed out; rescinding it", id, fw.id);
            rescind(o -> o.id().equals(id));
          }
        });
      }
      batches.computeIfAbsent(fw, k -> new ArrayList<>()).add(offer);
    }
    batches.forEach((fw, list) -> fw.link().send(Event.offers(list)));
  }

  /** Removes an offer made to {@code fw} for ACCEPT; null if it is not (or no longer) out. */
  Offer take(FrameworkEntry fw, OfferId id) {
    Offer offer = fw.offers.remove(id);
    if (offer != null) {
      offers.remove(id);
    }
    return offer;
  }

  /** DECLINE: the offers' resources go back, refused to this framework for {@code refuseSeconds}. */
  void decline(FrameworkEntry fw, List<OfferId> ids, double refuseSeconds) {
    for (OfferId offerId : ids) {
      Offer offer = take(fw, offerId);
      if (offer != null) {
        recover(fw.id, offer.agentId(), Resources.of(offer.resources()), refuseSeconds);
      }
    }
  }

  /** Withdraws the matching offers: RESCIND to their frameworks, resources back to the allocator. */
  void rescind(Predicate<Offer> which) {
    for (Offer offer : List.copyOf(offers.values())) {
      if (which.test(offer)) {
        offers.remove(offer.id());
        FrameworkEntry fw = master.framework(offer.frameworkId());
        if (fw != null) {
          fw.offers.remove(offer.id());
          master.sendToFramework(fw, Event.rescind(offer.id()));
        }
        recover(offer.frameworkId(), offer.agentId(), Resources.of(offer.resources()), 0);
      }
    }
  }

  void rescindAgent(AgentId agent) {
    rescind(o -> o.agentId().equals(agent));
  }

  void rescindFramework(FrameworkId framework) {
    rescind(o -> o.frameworkId().equals(framework));
  }

  private void recover(FrameworkId fw, AgentId agent, Resources resources, double refuseSeconds) {
    master.allocator().recoverResources(fw, agent, resources, refuseSeconds, master.clock().instant());
  }
}
