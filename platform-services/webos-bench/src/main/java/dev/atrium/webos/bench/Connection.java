package dev.atrium.webos.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of the load: a plain blocking socket that sends one fixed GET and reads the
 * whole answer (Content-Length or chunked), so that the client costs the same few microseconds on both sides and
 * adds nothing of its own (no pool, no selector thread). When the server closes the connection after an answer
 * ({@code Connection: close}: Tomcat does after 100 requests on one connection by default), the next exchange opens
 * a new one first, inside its own time, as a real client would.
 */
final class Connection implements AutoCloseable {

  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private boolean closed;
  private long reconnects;
  private final byte[] request;
  private final byte[] skip = new byte[16 * 1024];
  private final StringBuilder line = new StringBuilder();

  Connection(int port, String path, String token) throws IOException {
    this.port = port;
    open();
    request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
        + "\r\nAccept: application/json\r\nUser-Agent: atrium-webos-bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private void open() throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
    closed = false;
  }

  /** How many times the server closed the connection after an answer and a new one was opened. */
  long reconnects() {
    return reconnects;
  }

  /** Sends the request (on a new connection if the server closed the last one), reads the answer; its status. */
  int exchange() throws IOException {
    if (closed) {
      socket.close();
      open();
      reconnects++;
    }
    out.write(request);
    out.flush();
    String status = readLine();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String header = readLine(); !header.isEmpty(); header = readLine()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
        close = true;
      }
    }
    if (chunked) {
      for (long size = Long.parseLong(readLine().split(";")[0].trim(), 16); size > 0;
          size = Long.parseLong(readLine().split(";")[0].trim(), 16)) {
        discard(size);
        readLine();
      }
      for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
        // trailers: none expected
      }
    } else if (length > 0) {
      discard(length);
    }
    closed = close;
    return code;
  }

  private void discard(long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      int n = in.read(skip, 0, (int) Math.min(skip.length, left));
      if (n < 0) {
        throw new EOFException("the answer ended early");
      }
      left -= n;
    }
  }

  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection closed");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
