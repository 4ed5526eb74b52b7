package dev.terrace.agent.containerizer;

/** A container could not be launched or signalled; the message is meant for the task status. */
public class ContainerException extends Exception {
  public ContainerException(String message) {
    super(message);
  }

  public ContainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
