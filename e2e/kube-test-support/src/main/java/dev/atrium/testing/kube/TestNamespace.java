package dev.atrium.testing.kube;

/** A namespace created for one test class; deleted after it unless a test in it failed. */
public record TestNamespace(String name) {
}
