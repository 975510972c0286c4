package dev.atrium.messagecenter.push;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Loads what stream entries of one kind refer to, as the objects pushed to clients (serialized to JSON). Each
 * feature that appends to user streams provides one.
 */
public interface PayloadLoader {

  /** The entry kind this loader serves, e.g. {@code message}. */
  String kind();

  /** The payloads of the given ids; ids it does not know are left out. */
  Map<UUID, Object> load(Collection<UUID> ids);
}
