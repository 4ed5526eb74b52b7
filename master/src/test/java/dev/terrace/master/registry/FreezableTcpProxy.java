package dev.terrace.master.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that can be frozen: while frozen it keeps every connection open but passes
 * no byte either way (new connections are accepted and held too). To a ZooKeeper client behind
 * it, and to the server, that looks exactly like a process that has stopped (GC pause, SIGSTOP):
 * no pings, no replies, nothing closed; the server expires the session, and the client's objects
 * stay as they were. Unfreezing lets the held bytes through, as a resumed process would send them.
 */
final class FreezableTcpProxy implements AutoCloseable {
  private final int targetPort;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private boolean frozen; // guarded by gate
  private volatile boolean closed;

  FreezableTcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "proxy-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  String connectString() {
    return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port();
  }

  void freeze() {
    synchronized (gate) {
      frozen = true;
    }
  }

  void unfreeze() {
    synchronized (gate) {
      frozen = false;
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        sockets.add(client);
        sockets.add(server);
        pump(client, server, "up");
        pump(server, client, "down");
      } catch (IOException e) {
        if (!closed) {
          // The target refused (server down): the client sees its connection fail, as it should.
          continue;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  awaitThawed();
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // Either side closed, or the proxy did; close both below.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-" + direction + "-" + port());
    thread.setDaemon(true);
    thread.start();
  }

  private void awaitThawed() throws InterruptedException {
    synchronized (gate) {
      while (frozen && !closed) {
        gate.wait();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    unfreeze();
    closeQuietly(listener);
    sockets.forEach(FreezableTcpProxy::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
