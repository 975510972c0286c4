package dev.atrium.messagecenter.layeringfixture.cyclic.first;

import dev.atrium.messagecenter.layeringfixture.cyclic.second.Second;

/** Half of a deliberate package cycle: LayeringTest shows its cycle rule catches one. */
public class First {

  public Second partner() {
    return new Second();
  }
}
