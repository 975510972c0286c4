package dev.atrium.identity.directory;

import dev.atrium.identity.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** People and departments, for the tenant's administrators. */
@RestController
class DirectoryController {

  static final String ID_PATTERN = "^[a-z0-9][a-z0-9._-]{0,63}$";
  static final String ID_MESSAGE = "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter"
      + " or digit";

  private final DirectoryService directory;

  DirectoryController(DirectoryService directory) {
    this.directory = directory;
  }

  record NewPerson(@NotNull @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String id,
      @NotBlank @Size(max = 200) String displayName, @Email @Size(max = 254) String email,
      @Size(max = 40) String phone, Boolean admin, @Size(max = 100) List<@NotNull @Size(max = 200) String> departments,
      @Size(min = DirectoryService.MIN_PASSWORD, max = DirectoryService.MAX_PASSWORD) String password) {
  }

  record PersonUpdate(@NotBlank @Size(max = 200) String displayName, @Email @Size(max = 254) String email,
      @Size(max = 40) String phone, Boolean admin,
      @Size(max = 100) List<@NotNull @Size(max = 200) String> departments) {
  }

  record NewPassword(@NotNull @Size(min = DirectoryService.MIN_PASSWORD, max = DirectoryService.MAX_PASSWORD)
      String password) {
  }

  record NewDepartment(@NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9._-]{0,199}$", message = "must be lower-case"
      + " letters, digits, '.', '_' or '-'") String id, @NotBlank @Size(max = 200) String name,
      @Size(max = 200) String parentId) {
  }

  record DepartmentUpdate(@NotBlank @Size(max = 200) String name, @Size(max = 200) String parentId, Boolean active) {
  }

  @GetMapping("/api/admin/people")
  List<Person> people(@RequestParam(required = false) String after, @RequestParam(defaultValue = "100") int limit,
      @RequestParam(required = false) String department) {
    return directory.people(after, limit, department);
  }

  @PostMapping("/api/admin/people")
  @ResponseStatus(HttpStatus.CREATED)
  Person create(@AuthenticationPrincipal Caller caller, @Valid @RequestBody NewPerson request) {
    return directory.create(caller.id(), request.id(), request.displayName(), request.email(), request.phone(),
        Boolean.TRUE.equals(request.admin()), orEmpty(request.departments()), request.password());
  }

  @GetMapping("/api/admin/people/{id}")
  Person person(@PathVariable String id) {
    return directory.person(id);
  }

  @PutMapping("/api/admin/people/{id}")
  Person update(@AuthenticationPrincipal Caller caller, @PathVariable String id,
      @Valid @RequestBody PersonUpdate request) {
    return directory.update(caller.id(), id, request.displayName(), request.email(), request.phone(),
        Boolean.TRUE.equals(request.admin()), orEmpty(request.departments()));
  }

  @PostMapping("/api/admin/people/{id}/disable")
  Person disable(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    return directory.disable(caller.id(), id);
  }

  @PostMapping("/api/admin/people/{id}/enable")
  Person enable(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    return directory.enable(caller.id(), id);
  }

  @PostMapping("/api/admin/people/{id}/unlock")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void unlock(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
    directory.unlock(caller.id(), id);
  }

  @PostMapping("/api/admin/people/{id}/password")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void password(@AuthenticationPrincipal Caller caller, @PathVariable String id,
      @Valid @RequestBody NewPassword request) {
    directory.setPassword(caller.id(), id, request.password());
  }

  @GetMapping("/api/admin/departments")
  List<Department> departments() {
    return directory.departments();
  }

  @PostMapping("/api/admin/departments")
  @ResponseStatus(HttpStatus.CREATED)
  Department createDepartment(@AuthenticationPrincipal Caller caller, @Valid @RequestBody NewDepartment request) {
    return directory.createDepartment(caller.id(), request.id(), request.name(), request.parentId());
  }

  @PutMapping("/api/admin/departments/{id}")
  Department updateDepartment(@AuthenticationPrincipal Caller caller, @PathVariable String id,
      @Valid @RequestBody DepartmentUpdate request) {
    return directory.updateDepartment(caller.id(), id, request.name(), request.parentId(),
        request.active() == null || request.active());
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
