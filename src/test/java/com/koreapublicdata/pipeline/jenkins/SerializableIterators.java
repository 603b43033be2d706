package com.koreapublicdata.pipeline.jenkins;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A Groovy category giving CPS code serializable iterators, as Jenkins does for for-in loops and each{}: a loop
 * that calls a step keeps its iterator in the program state. Iterates over a snapshot; map entries are copied.
 */
public final class SerializableIterators {
    private SerializableIterators() {
    }

    public static Iterator<Object> iterator(Collection<?> self) {
        return new Snapshot(self);
    }

    public static Iterator<Object> iterator(List<?> self) {
        return new Snapshot(self);
    }

    public static Iterator<Object> iterator(ArrayList<?> self) {
        return new Snapshot(self);
    }

    public static Iterator<Object> iterator(java.util.Set<?> self) {
        return new Snapshot(self);
    }

    public static Iterator<Object> iterator(java.util.AbstractSet<?> self) {
        return new Snapshot(self);
    }

    public static Iterator<Object> iterator(java.util.AbstractCollection<?> self) {
        return new Snapshot(self);
    }

    public static Iterator<Object> iterator(Map<?, ?> self) {
        return new Snapshot(self.entrySet());
    }

    static final class Snapshot implements Iterator<Object>, Serializable {
        private static final long serialVersionUID = 1L;
        private final List<Object> items = new ArrayList<>();
        private int next;

        Snapshot(Collection<?> source) {
            for (Object item : source) {
                items.add(item instanceof Map.Entry<?, ?> e ? new AbstractMap.SimpleEntry<>(e.getKey(), e.getValue()) : item);
            }
        }

        @Override
        public boolean hasNext() {
            return next < items.size();
        }

        @Override
        public Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return items.get(next++);
        }
    }
}
