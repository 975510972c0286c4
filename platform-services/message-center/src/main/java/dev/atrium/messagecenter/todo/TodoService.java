package dev.atrium.messagecenter.todo;

import dev.atrium.messagecenter.push.PayloadLoader;
import dev.atrium.messagecenter.push.UserStreams;
import dev.atrium.service.security.Caller;
import dev.atrium.messagecenter.todo.TodoApi.CreateTodo;
import dev.atrium.messagecenter.todo.TodoApi.Status;
import dev.atrium.messagecenter.todo.TodoApi.Todo;
import dev.atrium.service.web.ApiException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Business to-dos: an app creates one for people, and later marks it done or cancels it; only the app that
 * created a to-do sees or changes it as an app, and people see the ones assigned to them. The assignees are
 * pushed each change (stream entries of kind {@code todo}, whose payload is the to-do as it is when sent).
 */
@Service
public class TodoService implements PayloadLoader {

  public static final String TODO_EVENT = "todo";

  private final TodoStore store;
  private final UserStreams streams;

  TodoService(TodoStore store, UserStreams streams) {
    this.store = store;
    this.streams = streams;
  }

  public record Created(Todo todo, boolean created) {
  }

  @Transactional
  public Created create(Caller caller, CreateTodo request) {
    caller.requireApp("Creating to-dos");
    UUID id = UUID.randomUUID();
    TreeSet<String> assignees = new TreeSet<>(request.assignees());
    if (!store.insert(id, caller.id(), request.externalId(), request.title(), request.deepLink(), request.dueAt(),
        assignees)) {
      Todo existing = store.byExternalId(caller.id(), request.externalId()).orElseThrow();
      if (!existing.title().equals(request.title()) || !existing.deepLink().equals(request.deepLink())
          || !existing.assignees().equals(assignees.stream().toList())) {
        throw ApiException.conflict("external-id-reused", "externalId " + request.externalId() + " is to-do "
            + existing.id() + " already, with another title, link or assignees; use a new externalId.");
      }
      return new Created(existing, false);
    }
    streams.append(TODO_EVENT, id, assignees);
    return new Created(store.find(id).orElseThrow(), true);
  }

  /** Closes an open to-do of the calling app as DONE or CANCELLED; closing it again the same way is a no-op. */
  @Transactional
  public Todo close(Caller caller, UUID id, Status status) {
    caller.requireApp("Completing or cancelling to-dos");
    Todo todo = store.ofAppForUpdate(id, caller.id()).orElseThrow(() -> ApiException.notFound("to-do", id));
    if (todo.status() == status) {
      return todo;
    }
    if (todo.status() != Status.OPEN) {
      throw ApiException.conflict("todo-closed", "To-do " + id + " is " + todo.status() + " already; it cannot"
          + " become " + status + ".");
    }
    store.close(id, status);
    streams.append(TODO_EVENT, id, todo.assignees());
    return store.find(id).orElseThrow();
  }

  @Transactional(readOnly = true)
  public Todo get(Caller caller, UUID id) {
    return store.find(id)
        .filter(todo -> caller.isApp() ? todo.appId().equals(caller.id()) : todo.assignees().contains(caller.id()))
        .orElseThrow(() -> ApiException.notFound("to-do", id));
  }

  /** A person's to-dos across every app, or an app's own. */
  @Transactional(readOnly = true)
  public java.util.List<Todo> list(Caller caller, Status status, int limit) {
    return caller.isApp() ? store.ofApp(caller.id(), status, limit) : store.ofUser(caller.id(), status, limit);
  }

  @Transactional(readOnly = true)
  public long openCount(Caller caller) {
    return store.openCount(caller.id());
  }

  @Override
  public String kind() {
    return TODO_EVENT;
  }

  @Override
  @Transactional(readOnly = true)
  public Map<UUID, Object> load(Collection<UUID> ids) {
    return store.byIds(ids).stream().collect(Collectors.toMap(Todo::id, Function.identity()));
  }
}
