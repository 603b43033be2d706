package com.koreapublicdata.pipeline.jenkins;

import java.io.Serializable;
import java.util.List;

/**
 * The harness's own models of what Jenkins throws (no Jenkins class is faked): the library tells them apart by
 * class-name suffix, exactly as it does with FlowInterruptedException, Rejection and ExceededTimeout in Jenkins.
 */
final class StepExceptions {
    private StepExceptions() {
    }

    /** What {@code error} and a failing {@code sh} throw (Jenkins: an AbortException). */
    static final class AbortException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbortException(String message) {
            super(message);
        }
    }

    /** What {@code input} throws on Abort and {@code timeout} on expiry: result ABORTED plus its causes. */
    static final class FlowInterruptedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final List<Object> causes;

        FlowInterruptedException(Object... causes) {
            super("aborted");
            this.causes = List.of(causes);
        }

        public List<Object> getCauses() {
            return causes;
        }

        public String getResult() {
            return "ABORTED";
        }
    }

    /** The user who pressed Abort on an input. */
    static final class Rejection implements Serializable {
        private static final long serialVersionUID = 1L;
        private final User user;

        Rejection(String userId) {
            this.user = userId == null ? null : new User(userId);
        }

        public User getUser() {
            return user;
        }
    }

    /** A timeout step that ran out. */
    static final class ExceededTimeout implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** A Jenkins user as the library sees one: an id. */
    static final class User implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;

        User(String id) {
            this.id = id;
        }

        public String getId() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** A house rule the step under test broke; the run fails even when library code catches it. */
    static final class Violation extends AssertionError {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message);
        }
    }
}
