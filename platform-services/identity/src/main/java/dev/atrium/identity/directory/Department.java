package dev.atrium.identity.directory;

/** A department; departments form a tree through their parents. Inactive ones are kept for history. */
public record Department(String id, String name, String parentId, Source source, String externalId, boolean active) {
}
