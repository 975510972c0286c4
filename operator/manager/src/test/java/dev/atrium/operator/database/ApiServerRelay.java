package dev.atrium.operator.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between the Patroni members and the API server, so that a test can cut them off from their DCS as an
 * outage of the control plane would, while the members still reach each other. Bytes pass through untouched (TLS
 * ends at the API server; its certificate names the address, not the port). {@link #cut} closes every connection and
 * stops listening, so a member's next request is refused at once; {@link #restore} listens again on the same port.
 */
final class ApiServerRelay implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket server;

  /** A relay on a free loopback port to the API server at {@code masterUrl}, listening. */
  ApiServerRelay(String masterUrl) throws IOException {
    URI uri = URI.create(masterUrl);
    target = new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 443);
    server = listen(0);
    port = server.getLocalPort();
    accept(server);
  }

  /** The API server's URL as the members use it: the same scheme and host, the relay's port. */
  String url(String masterUrl) {
    URI uri = URI.create(masterUrl);
    return uri.getScheme() + "://" + uri.getHost() + ":" + port;
  }

  /** Cuts the members off: their connections closed, new ones refused, until {@link #restore}. */
  synchronized void cut() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    open.clear();
  }

  synchronized void restore() throws IOException {
    if (server.isClosed()) {
      server = listen(port);
      accept(server);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    cut();
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private void accept(ServerSocket listening) {
    Thread.ofVirtual().name("api-relay-accept").start(() -> {
      while (!listening.isClosed()) {
        try {
          Socket member = listening.accept();
          Socket api = new Socket();
          try {
            api.connect(target, 5000);
          } catch (IOException e) {
            // the API server refused this one: the member sees its connection closed and retries
            close(member);
            continue;
          }
          open.add(member);
          open.add(api);
          pump(member, api);
          pump(api, member);
        } catch (IOException e) {
          // closed by cut()
        }
      }
    });
  }

  private void pump(Socket from, Socket to) {
    Thread.ofVirtual().name("api-relay-pump").start(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // one side closed: the other is closed below
      } finally {
        close(from);
        close(to);
      }
    });
  }

  private void close(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // closing a socket that failed: nothing more to release
    }
  }
}
