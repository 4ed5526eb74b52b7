package dev.terrace.security.authn;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which realms require credentials, and the credentials they are checked against (a
 * {@link CredentialsFile} follows its file's changes). {@link #open()} requires nothing.
 */
public record AuthenticationPolicy(Set<Realm> required, Supplier<Credentials> credentials) {

  public AuthenticationPolicy {
    required = required.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(required));
    if (required.contains(Realm.OPEN)) {
      throw new IllegalArgumentException("the open realm cannot require authentication");
    }
    if (!required.isEmpty() && credentials == null) {
      throw new IllegalArgumentException("authentication of " + required + " needs credentials (--credentials FILE)");
    }
    if (credentials == null) {
      credentials = Credentials::none;
    }
  }

  public static AuthenticationPolicy open() {
    return new AuthenticationPolicy(Set.of(), null);
  }

  public boolean requires(Realm realm) {
    return required.contains(realm);
  }

  public boolean isOpen() {
    return required.isEmpty();
  }

  /** Realms that anyone may call: every one but OPEN that is not in {@link #required()}. */
  public Set<Realm> unauthenticated() {
    EnumSet<Realm> out = EnumSet.complementOf(EnumSet.of(Realm.OPEN));
    out.removeAll(required);
    return out;
  }
}
