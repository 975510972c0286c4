package dev.atrium.identity.apps;

import java.util.List;
import org.springframework.stereotype.Component;

/** The one place that decides whether a person may use an app, asked before every token a person gets. */
@Component
public class GrantPolicy {

  private final AppStore store;

  GrantPolicy(AppStore store) {
    this.store = store;
  }

  /**
   * Whether the person may have tokens for the app: the app is known to identity and not suspended, and it is open
   * to everyone or granted to the person or one of their departments (given with their ancestors).
   */
  public boolean mayUse(String clientId, String personId, List<String> departmentsWithAncestors) {
    return store.app(clientId).filter(app -> !app.suspended())
        .map(app -> !app.restricted() || store.granted(clientId, personId, departmentsWithAncestors))
        .orElse(false);
  }

  /**
   * Whether the app may have tokens of its own (client credentials): any client identity keeps that is not a
   * suspended app (the built-in clients have no app row).
   */
  public boolean mayActAsItself(String clientId) {
    return store.app(clientId).map(app -> !app.suspended()).orElse(true);
  }
}
