package io.weft.benchmarks.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.unsafe.UnsafeInput;
import com.esotericsoftware.kryo.unsafe.UnsafeOutput;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import java.util.Arrays;
import java.util.Set;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Kryo 5 configured for arbitrary objects: no registration, reference tracking (shared objects and cycles), and
 * objects created without calling a constructor when there is no no-arg one.
 */
final class KryoCodec implements Codec {
  private final Kryo kryo;
  private final Output output;
  private final Input input;

  KryoCodec(boolean unsafe, Set<String> allowed) {
    kryo = allowed == null ? new Kryo() : new Kryo(new AllowListClassResolver(allowed), new MapReferenceResolver());
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    output = unsafe ? new UnsafeOutput(64 * 1024, -1) : new Output(64 * 1024, -1);
    input = unsafe ? new UnsafeInput() : new Input();
  }

  @Override
  public Object roundTrip(Object o) {
    output.reset();
    kryo.writeClassAndObject(output, o);
    input.setBuffer(output.getBuffer(), 0, output.position());
    return kryo.readClassAndObject(input);
  }

  @Override
  public int lastSize() {
    return output.position();
  }

  @Override
  public byte[] serialize(Object o) {
    output.reset();
    kryo.writeClassAndObject(output, o);
    return Arrays.copyOf(output.getBuffer(), output.position());
  }

  @Override
  public Object deserialize(byte[] bytes) {
    input.setBuffer(bytes);
    return kryo.readClassAndObject(input);
  }

  /**
   * Refuses to resolve an unregistered class name that is not on the allow list, before the class is loaded:
   * Kryo asks {@link #getTypeByName} before {@code Class.forName}.
   */
  private static final class AllowListClassResolver extends DefaultClassResolver {
    private final Set<String> allowed;

    AllowListClassResolver(Set<String> allowed) {
      this.allowed = allowed;
    }

    @Override
    protected Class<?> getTypeByName(String className) {
      if (!allowed.contains(className)) {
        throw new KryoException("class not allowed: " + className);
      }
      return super.getTypeByName(className);
    }
  }
}
