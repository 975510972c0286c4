package dev.atrium.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * A Secret of credentials the operator generates. The model only names it and its keys; the
 * reconciler creates it once with random values and never rewrites it, so builders stay pure
 * and a password never changes by accident.
 */
public record GeneratedSecret(ObjectMeta metadata, List<String> keys) {
}
