package dev.atrium.netdisk.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.service.web.ApiException;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

  @Test
  void theThreeFormsOfOneRange() {
    assertThat(ByteRange.parse("bytes=0-99", 1000)).contains(new ByteRange(0, 99));
    assertThat(ByteRange.parse("bytes=900-", 1000)).contains(new ByteRange(900, 999));
    assertThat(ByteRange.parse("bytes=-100", 1000)).contains(new ByteRange(900, 999));
    // a last byte past the end is cut to the end; a suffix longer than the content is all of it
    assertThat(ByteRange.parse("bytes=990-5000", 1000)).contains(new ByteRange(990, 999));
    assertThat(ByteRange.parse("bytes=-5000", 1000)).contains(new ByteRange(0, 999));
  }

  @Test
  void whatIsNotOneRangeIsIgnoredAndTheWholeIsSent() {
    assertThat(ByteRange.parse(null, 10)).isEmpty();
    assertThat(ByteRange.parse("bytes=0-1,5-6", 10)).isEmpty();
    assertThat(ByteRange.parse("items=0-1", 10)).isEmpty();
    assertThat(ByteRange.parse("bytes=5-2", 10)).isEmpty();
    assertThat(ByteRange.parse("bytes=-", 10)).isEmpty();
  }

  @Test
  void aRangeStartingPastTheEndIsRefusedWithTheSize() {
    assertThatThrownBy(() -> ByteRange.parse("bytes=10-", 10)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.problem().getStatus()).isEqualTo(416);
      assertThat(e.headers()).containsEntry("Content-Range", "bytes */10");
    });
    assertThatThrownBy(() -> ByteRange.parse("bytes=-1", 0)).isInstanceOf(ApiException.class);
  }
}
