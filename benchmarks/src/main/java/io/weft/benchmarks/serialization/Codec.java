package io.weft.benchmarks.serialization;

import java.util.List;
import java.util.Set;

/**
 * One serializer instance with its reusable buffers, as the runtime would keep one per connection or thread.
 * Not thread-safe.
 */
public interface Codec {
  /** The serializers compared; {@code kryo-unsafe} is Kryo with its native-byte-order Unsafe streams. */
  List<String> NAMES = List.of("kryo", "kryo-unsafe", "fory");

  /** Serializes {@code o} into the reusable buffer and deserializes a copy from it. */
  Object roundTrip(Object o);

  /** The size in bytes of the last serialized object. */
  int lastSize();

  /** Serializes {@code o} into a new array. */
  byte[] serialize(Object o);

  /** Deserializes a whole array written by {@link #serialize} of a codec of the same kind. */
  Object deserialize(byte[] bytes);

  /** A codec that deserializes any class (no registration required). */
  static Codec create(String name) {
    return create(name, null);
  }

  /**
   * A codec that deserializes only the named classes (and the serializer's own built-in types), or any class
   * if {@code allowed} is null; names are {@link Class#getName()}.
   */
  static Codec create(String name, Set<String> allowed) {
    return switch (name) {
      case "kryo" -> new KryoCodec(false, allowed);
      case "kryo-unsafe" -> new KryoCodec(true, allowed);
      case "fory" -> new ForyCodec(allowed);
      default -> throw new IllegalArgumentException("unknown serializer " + name + ", expected one of " + NAMES);
    };
  }
}
