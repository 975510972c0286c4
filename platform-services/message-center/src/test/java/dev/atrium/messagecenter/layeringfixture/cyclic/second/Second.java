package dev.atrium.messagecenter.layeringfixture.cyclic.second;

import dev.atrium.messagecenter.layeringfixture.cyclic.first.First;

/** The other half of the deliberate package cycle that LayeringTest's cycle rule must catch. */
public class Second {

  public First partner() {
    return new First();
  }
}
