package dev.atrium.webos.portal;

import java.util.List;
import java.util.function.Function;

/**
 * One panel of a page: what a service said, or that it is switched off or not answering (the page then shows a
 * notice on this panel, never an error page).
 *
 * @param total a count the panel shows beside its title (unread messages), or -1
 */
public record Panel<T>(Services.State state, List<T> items, long total) {

  /** The panel for a service's answer: its items as {@code items} reads them, or the notice. */
  static <T> Panel<T> of(Services.Answer answer, Function<Services.Answer, List<T>> items) {
    if (answer.state() == Services.State.OFF) {
      return new Panel<>(Services.State.OFF, List.of(), -1);
    }
    if (!answer.ok()) {
      return new Panel<>(Services.State.DOWN, List.of(), -1);
    }
    return new Panel<>(Services.State.OK, items.apply(answer), -1);
  }

  Panel<T> withTotal(long total) {
    return new Panel<>(state, items, total);
  }

  public boolean ok() {
    return state == Services.State.OK;
  }

  public boolean off() {
    return state == Services.State.OFF;
  }

  public boolean down() {
    return state == Services.State.DOWN;
  }
}
