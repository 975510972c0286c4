package dev.atrium.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than a service's limit with 413, before anything reads them: at once when
 * Content-Length says so, otherwise (chunked bodies) as soon as the limit is passed. A service registers it
 * first in its filter chain (highest precedence), with the limit from its own settings.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

  private final long limit;
  private final String setting;
  private final ProblemResponses responses;

  /**
   * @param limit the most bytes a request body may have
   * @param setting the environment variable that sets the limit, named in the problem detail
   */
  public RequestSizeLimitFilter(long limit, String setting, ProblemResponses responses) {
    this.limit = limit;
    this.setting = setting;
    this.responses = responses;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > limit) {
      responses.write(request, response, tooLarge(limit, setting));
      return;
    }
    chain.doFilter(new LimitedRequest(request, limit, setting), response);
  }

  public static ProblemDetail tooLarge(long limit, String setting) {
    return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
        "The request body is larger than " + limit + " bytes, the most this service accepts (" + setting
            + "). Send less.");
  }

  /** Thrown while reading a body that turns out larger than the limit. */
  public static final class PayloadTooLargeException extends IOException {
    private final long limit;

    private final String setting;

    PayloadTooLargeException(long limit, String setting) {
      super("request body larger than " + limit + " bytes");
      this.limit = limit;
      this.setting = setting;
    }

    public long limit() {
      return limit;
    }

    public String setting() {
      return setting;
    }
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private final long limit;
    private final String setting;
    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long limit, String setting) {
      super(request);
      this.limit = limit;
      this.setting = setting;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream(), limit, setting);
      }
      return stream;
    }
  }

  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long limit;
    private final String setting;
    private long count;

    CountingStream(ServletInputStream in, long limit, String setting) {
      this.in = in;
      this.limit = limit;
      this.setting = setting;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws PayloadTooLargeException {
      count += n;
      if (count > limit) {
        throw new PayloadTooLargeException(limit, setting);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
