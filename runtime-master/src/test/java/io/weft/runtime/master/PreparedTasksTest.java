package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.spi.TaskSites;
import org.junit.jupiter.api.Test;

/** Definitions resolved ahead while the runtime starts: handed over once, and never an error of their own. */
class PreparedTasksTest {
    @Test
    void aPreparedDefinition_isTheOneTheCallWouldResolve_andIsHandedOverOnce() {
        int site = SampleTasks.site("addInto");
        PreparedTasks prepared = new PreparedTasks();

        prepared.prepare(site);

        TaskDefinition def = prepared.take(site);
        TaskDefinition resolved = TaskDefinition.resolve(TaskSites.get(site), System::getenv);
        assertThat(def).isNotNull();
        assertThat(def.method()).isEqualTo(resolved.method());
        assertThat(def.name()).isEqualTo(resolved.name());
        assertThat(prepared.take(site)).as("taken once: the submitter keeps it from then on").isNull();
    }

    @Test
    void aSiteThatCannotBeResolved_isNotPrepared_andPreparingItThrowsNothing() {
        int site = TaskSites.register(SampleTasks.class.getClassLoader(), SampleTasks.class.getName(), "gone",
                "()V", true);
        PreparedTasks prepared = new PreparedTasks();

        prepared.prepare(site);

        assertThat(prepared.take(site)).as("the call resolves it again, and says why it cannot").isNull();
    }
}
