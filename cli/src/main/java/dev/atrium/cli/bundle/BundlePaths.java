package dev.atrium.cli.bundle;

/** Where things are in a bundle. */
public final class BundlePaths {

  public static final String CHART_DIR = "chart/";
  public static final String CRDS_DIR = "crds/";
  public static final String RELEASES_DIR = "releases/";
  public static final String POLICIES_DIR = "autoscaling-policies/";
  public static final String LAYOUT_DIR = "images/";
  public static final String OCI_LAYOUT = LAYOUT_DIR + "oci-layout";
  public static final String LAYOUT_INDEX = LAYOUT_DIR + "index.json";
  static final String BLOBS = LAYOUT_DIR + "blobs/sha256/";

  private BundlePaths() {
  }

  public static String blob(String digest) {
    return BLOBS + Digests.hex(digest);
  }

  /** The directories of the small files an install applies (chart, CRDs, releases, policies). */
  public static boolean installFile(String path) {
    return path.startsWith(CHART_DIR) || path.startsWith(CRDS_DIR) || path.startsWith(RELEASES_DIR)
        || path.startsWith(POLICIES_DIR);
  }
}
