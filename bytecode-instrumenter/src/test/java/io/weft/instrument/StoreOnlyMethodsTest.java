package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoreOnlyMethodsTest {
    private static final String O = "Ljava/lang/Object;";

    @Test
    void listAdd_storesItsArgument() {
        assertThat(StoreOnlyMethods.of("java.util.List", "add", "(" + O + ")Z").parameters()).containsExactly(0);
        assertThat(StoreOnlyMethods.of("java.util.ArrayList", "add", "(I" + O + ")V").parameters()).containsExactly(1);
        assertThat(StoreOnlyMethods.of("java.util.List", "set", "(I" + O + ")" + O).parameters()).containsExactly(1);
    }

    @Test
    void mapPut_storesTheValueButNotTheKey() {
        StoreOnlyMethods.Stored put = StoreOnlyMethods.of("java.util.HashMap", "put", "(" + O + O + ")" + O);
        assertThat(put.parameters()).containsExactly(1);
        assertThat(put.elements()).isFalse();
    }

    @Test
    void dequesAndQueues_storeWhatTheyAreOffered() {
        for (String method : Set.of("offer", "offerFirst", "offerLast")) {
            assertThat(StoreOnlyMethods.of("java.util.ArrayDeque", method, "(" + O + ")Z")).as(method).isNotNull();
        }
        for (String method : Set.of("push", "addFirst", "addLast")) {
            assertThat(StoreOnlyMethods.of("java.util.Deque", method, "(" + O + ")V")).as(method).isNotNull();
        }
        assertThat(StoreOnlyMethods.of("java.util.concurrent.BlockingQueue", "put", "(" + O + ")V")).isNotNull();
    }

    @Test
    void varargsFactories_storeTheElementsOfTheirArray() {
        StoreOnlyMethods.Stored addAll =
                StoreOnlyMethods.of("java.util.Collections", "addAll", "(Ljava/util/Collection;[" + O + ")Z");
        assertThat(addAll.parameters()).containsExactly(1);
        assertThat(addAll.elements()).isTrue();
        assertThat(StoreOnlyMethods.of("java.util.Arrays", "asList", "([" + O + ")Ljava/util/List;").elements())
                .isTrue();
        assertThat(StoreOnlyMethods.of("java.util.List", "of", "(" + O + O + O + ")Ljava/util/List;").parameters())
                .containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void methodsThatCallTheirArguments_areNotInTheList() {
        assertThat(StoreOnlyMethods.of("java.util.Set", "add", "(" + O + ")Z")).as("hashes").isNull();
        assertThat(StoreOnlyMethods.of("java.util.TreeSet", "add", "(" + O + ")Z")).as("compares").isNull();
        assertThat(StoreOnlyMethods.of("java.util.PriorityQueue", "offer", "(" + O + ")Z")).as("compares").isNull();
        assertThat(StoreOnlyMethods.of("java.util.List", "contains", "(" + O + ")Z")).as("equals").isNull();
        assertThat(StoreOnlyMethods.of("java.io.PrintStream", "println", "(" + O + ")V")).isNull();
        assertThat(StoreOnlyMethods.of("com.acme.MyList", "add", "(" + O + ")Z")).as("not the JDK's").isNull();
    }

    @Test
    void everyMethodInTheList_isInTheProgrammingModelsTable() throws Exception {
        String doc = Files.readString(Path.of("../docs/programming-model.md"));
        String table = doc.substring(doc.indexOf("### Storing results in collections"),
                doc.indexOf("### Waiting for tasks one at a time"));
        for (String site : StoreOnlyMethods.all()) {
            String owner = site.substring(0, site.indexOf('('));
            owner = owner.substring(0, owner.lastIndexOf('.'));
            String method = site.substring(owner.length() + 1, site.indexOf('('));
            String simple = owner.substring(owner.lastIndexOf('.') + 1).replace('$', '.');
            assertThat(table).as(site).contains("`" + simple + "`").contains("`" + method + "(");
        }
    }
}
