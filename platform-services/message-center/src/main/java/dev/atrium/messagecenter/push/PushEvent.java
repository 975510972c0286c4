package dev.atrium.messagecenter.push;

import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * What the replicas tell each other through Redis after a commit: an entry appended to some users' streams,
 * with its payload, so that no replica has to read the database to push it.
 *
 * @param entries the users and the stream number the entry has in each one's stream
 * @param publishedAtMillis when the sending replica published it (for the push-latency metric)
 */
public record PushEvent(String kind, UUID refId, List<UserStreams.Entry> entries, JsonNode data,
    long publishedAtMillis) {
}
