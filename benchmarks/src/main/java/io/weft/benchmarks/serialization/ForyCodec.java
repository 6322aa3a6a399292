package io.weft.benchmarks.serialization;

import java.util.Set;
import org.apache.fory.Fory;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;
import org.apache.fory.resolver.AllowListChecker;

/**
 * Apache Fory in Java mode configured for arbitrary objects: no registration, reference tracking (shared objects
 * and cycles). Fory creates objects without a constructor call when there is no no-arg one.
 */
final class ForyCodec implements Codec {
  private final Fory fory;
  private final MemoryBuffer buffer = MemoryBuffer.newHeapBuffer(64 * 1024);

  ForyCodec(Set<String> allowed) {
    fory = Fory.builder()
        .withLanguage(Language.JAVA)
        .requireClassRegistration(false)
        .withRefTracking(true)
        .build();
    if (allowed != null) {
      AllowListChecker checker = new AllowListChecker(AllowListChecker.CheckLevel.STRICT);
      checker.allowClasses(allowed);
      fory.getClassResolver().setClassChecker(checker);
      checker.addListener(fory.getClassResolver());
    }
  }

  @Override
  public Object roundTrip(Object o) {
    buffer.writerIndex(0);
    fory.serialize(buffer, o);
    buffer.readerIndex(0);
    return fory.deserialize(buffer);
  }

  @Override
  public int lastSize() {
    return buffer.writerIndex();
  }

  @Override
  public byte[] serialize(Object o) {
    buffer.writerIndex(0);
    fory.serialize(buffer, o);
    return buffer.getBytes(0, buffer.writerIndex());
  }

  @Override
  public Object deserialize(byte[] bytes) {
    return fory.deserialize(bytes);
  }
}
