package dev.atrium.messagecenter.push;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The payload loaders of every feature, by entry kind. */
@Component
public class Payloads {

  private final Map<String, PayloadLoader> loaders;

  public Payloads(List<PayloadLoader> loaders) {
    this.loaders = loaders.stream().collect(Collectors.toUnmodifiableMap(PayloadLoader::kind, Function.identity()));
  }

  public Map<UUID, Object> load(String kind, Collection<UUID> ids) {
    PayloadLoader loader = loaders.get(kind);
    if (loader == null) {
      throw new IllegalStateException("no payload loader for stream entries of kind " + kind);
    }
    return loader.load(ids);
  }
}
