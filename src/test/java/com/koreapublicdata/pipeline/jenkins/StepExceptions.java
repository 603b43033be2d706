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

    /**
     * What {@code input} throws on Abort and {@code timeout} on expiry (result ABORTED), and what a newer build's
     * {@code milestone} interrupts an older one with (result NOT_BUILT, cause {@link CancelledCause}).
     */
    static final class FlowInterruptedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String result;
        private final List<Object> causes;

        FlowInterruptedException(Object... causes) {
            this("ABORTED", causes);
        }

        FlowInterruptedException(String result, Object... causes) {
            super((String) null);
            this.result = result;
            this.causes = List.of(causes);
        }

        public List<Object> getCauses() {
            return causes;
        }

        public String getResult() {
            return result;
        }
    }

    /**
     * What {@code withCredentials} throws for an id no credential has (credentials-plugin's
     * CredentialNotFoundException); Jenkins logs it as {@code ERROR: Could not find credentials entry with ID 'x'}.
     */
    static final class CredentialNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CredentialNotFoundException(String id) {
            super("Could not find credentials entry with ID '" + id + "'");
        }
    }

    /** pipeline-milestone-step's cause when a newer build passed a milestone: "Superseded by job#n". */
    static final class CancelledCause implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String newerBuild;

        CancelledCause(String newerBuild) {
            this.newerBuild = newerBuild;
        }

        public String getShortDescription() {
            return "Superseded by " + newerBuild;
        }

        @Override
        public String toString() {
            return getShortDescription();
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
