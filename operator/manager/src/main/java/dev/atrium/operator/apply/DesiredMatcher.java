package dev.atrium.operator.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether a live object already has everything the operator wants in it. The live object may
 * carry more (server defaults, status, fields other controllers own); what the operator asks
 * for must be there with the same value. Quantities compare by amount ("1000m" equals "1").
 */
public final class DesiredMatcher {

  private DesiredMatcher() {
  }

  public static boolean matches(JsonNode desired, JsonNode live) {
    if (desired == null || desired.isNull()) {
      return true;
    }
    if (live == null || live.isNull() || live.isMissingNode()) {
      return isEmpty(desired);
    }
    if (desired.isObject()) {
      if (!live.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!matches(field.getValue(), live.get(field.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!live.isArray() || live.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!matches(desired.get(i), live.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired.equals(live)) {
      return true;
    }
    return sameQuantity(desired, live);
  }

  private static boolean isEmpty(JsonNode node) {
    return (node.isContainerNode() && node.isEmpty()) || node.isNull();
  }

  private static boolean sameQuantity(JsonNode desired, JsonNode live) {
    if (!(desired.isTextual() || desired.isNumber()) || !(live.isTextual() || live.isNumber())) {
      return false;
    }
    try {
      BigDecimal a = Quantity.getAmountInBytes(new Quantity(desired.asText()));
      BigDecimal b = Quantity.getAmountInBytes(new Quantity(live.asText()));
      return a.compareTo(b) == 0;
    } catch (IllegalArgumentException | ArithmeticException notAQuantity) {
      return false;
    }
  }
}
