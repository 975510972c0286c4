package dev.atrium.service.jdbc;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * Rows as records: each component from the column of its snake_case name ({@code spaceId} from
 * {@code space_id}), enums by name, SQL NULL as 0 or false for primitives. Spring's mappers for records
 * ({@code SimplePropertyRowMapper}, {@code DataClassRowMapper}) first look each camelCase name up as a column
 * and catch the driver's exception when it is not one: dozens of exceptions per request (netdisk's benchmark
 * found 70 per upload, docs/benchmarks.md); this looks up the one name it means.
 */
public final class RecordRows<T extends Record> implements RowMapper<T> {

  private static final Map<Class<?>, RecordRows<?>> MAPPERS = new ConcurrentHashMap<>();

  private final Class<T> type;
  private final Constructor<T> constructor;
  private final RecordComponent[] components;
  private final String[] columns;

  private RecordRows(Class<T> type) {
    this.type = type;
    this.components = type.getRecordComponents();
    Class<?>[] parameterTypes = new Class<?>[components.length];
    this.columns = new String[components.length];
    for (int i = 0; i < components.length; i++) {
      parameterTypes[i] = components[i].getType();
      columns[i] = JdbcUtils.convertPropertyNameToUnderscoreName(components[i].getName());
    }
    try {
      this.constructor = type.getDeclaredConstructor(parameterTypes);
      this.constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(type + " has no canonical constructor", e);
    }
  }

  /** The mapper of a record type (one per type, shared: it keeps no state between rows). */
  @SuppressWarnings("unchecked")
  public static <T extends Record> RecordRows<T> of(Class<T> type) {
    return (RecordRows<T>) MAPPERS.computeIfAbsent(type, t -> new RecordRows<>((Class<T>) t));
  }

  @Override
  public T mapRow(ResultSet rs, int rowNum) throws SQLException {
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = value(rs, rs.findColumn(columns[i]), components[i].getType());
    }
    try {
      return constructor.newInstance(values);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot make a " + type.getSimpleName() + " of row " + rowNum, e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object value(ResultSet rs, int index, Class<?> target) throws SQLException {
    if (target.isEnum()) {
      String name = rs.getString(index);
      return name == null ? null : Enum.valueOf((Class<? extends Enum>) target, name);
    }
    Object value = JdbcUtils.getResultSetValue(rs, index, target);
    if (value == null && target.isPrimitive()) {
      return target == boolean.class ? Boolean.FALSE : target == long.class ? 0L : target == int.class ? 0
          : target == double.class ? 0d : target == float.class ? 0f : target == short.class ? (short) 0
          : target == byte.class ? (byte) 0 : '\0';
    }
    return value;
  }
}
