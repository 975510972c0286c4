package dev.atrium.api.v1alpha1;

/** Where the platform runs relative to the tenant's own systems. */
public enum PlatformMode {
  /** Everything on the tenant's site, including air-gapped installs. */
  Private,
  /** Platform in the provider's cloud, company apps on site, identity federated. */
  Hybrid,
  /** SaaS: many tenants on one cluster. */
  Public
}
