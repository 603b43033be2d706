package com.koreapublicdata.pipeline.control;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HMAC keys approval records are signed and checked with, read from the environment only:
 * {@code KOREA_APPROVAL_KEY} (the current key) with {@code KOREA_APPROVAL_KEY_ID} (its id, default {@code default}),
 * and during a rotation the previous keys as {@code KOREA_APPROVAL_KEY_<ID>} (id upper-cased, '-' as '_').
 */
public final class ApprovalKeys {
    public static final String KEY = "KOREA_APPROVAL_KEY";
    public static final String KEY_ID = "KOREA_APPROVAL_KEY_ID";
    private final Map<String, String> environment;

    public ApprovalKeys(Map<String, String> environment) {
        this.environment = Map.copyOf(environment.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getValue() != null && e.getKey().startsWith(KEY))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** No keys at all: every signed record is refused. */
    public static ApprovalKeys none() {
        return new ApprovalKeys(Map.of());
    }

    /** The id new records are signed with. */
    public String currentId() {
        String id = environment.get(KEY_ID);
        return id == null || id.isBlank() ? "default" : id.trim();
    }

    /** The current key, when set. */
    public Optional<byte[]> current() {
        return secret(environment.get(KEY));
    }

    /** The key with this id: the current one, or a previous one kept for a rotation. */
    public Optional<byte[]> forId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        if (id.equals(currentId())) {
            return current();
        }
        return secret(environment.get(KEY + "_" + id.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")));
    }

    private static Optional<byte[]> secret(String value) {
        return value == null || value.isBlank() ? Optional.empty()
                : Optional.of(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApprovalKeys[current=" + currentId() + "]"; // never the secrets
    }
}
