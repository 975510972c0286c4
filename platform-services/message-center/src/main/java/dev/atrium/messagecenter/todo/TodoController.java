package dev.atrium.messagecenter.todo;

import dev.atrium.messagecenter.config.MessageCenterProperties;
import dev.atrium.service.security.Caller;
import dev.atrium.messagecenter.todo.TodoApi.CreateTodo;
import dev.atrium.messagecenter.todo.TodoApi.Status;
import dev.atrium.messagecenter.todo.TodoApi.Todo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/todos")
@Tag(name = "to-dos", description = "Business to-dos that integrated apps create for people")
class TodoController {

  private final TodoService todos;
  private final MessageCenterProperties properties;

  TodoController(TodoService todos, MessageCenterProperties properties) {
    this.todos = todos;
    this.properties = properties;
  }

  @PostMapping
  @Operation(summary = "Create a to-do (apps only)", description = "201 when created; 200 with the stored to-do"
      + " when this app created this externalId before.")
  ResponseEntity<Todo> create(@AuthenticationPrincipal Caller caller, @Valid @RequestBody CreateTodo request) {
    var created = todos.create(caller, request);
    return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK).body(created.todo());
  }

  @PostMapping("/{id}/done")
  @Operation(summary = "Mark your app's to-do done (apps only)")
  Todo done(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    return todos.close(caller, id, Status.DONE);
  }

  @PostMapping("/{id}/cancel")
  @Operation(summary = "Cancel your app's to-do (apps only)")
  Todo cancel(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    return todos.close(caller, id, Status.CANCELLED);
  }

  @GetMapping("/{id}")
  @Operation(summary = "A to-do: an app sees its own, a person the ones assigned to them")
  Todo get(@AuthenticationPrincipal Caller caller, @PathVariable UUID id) {
    return todos.get(caller, id);
  }

  @GetMapping
  @Operation(summary = "A person's to-dos across all apps (soonest due first), or an app's own")
  List<Todo> list(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "OPEN") Status status) {
    return todos.list(caller, status, properties.maxPageSize());
  }
}
