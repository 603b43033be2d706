package com.koreapublicdata.pipeline.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.koreapublicdata.pipeline.AtomicFiles;
import com.koreapublicdata.pipeline.ExitCode;
import com.koreapublicdata.pipeline.JsonMapping;
import com.koreapublicdata.pipeline.KoreaException;
import com.koreapublicdata.pipeline.config.Approval;

/** Reads, writes, signs and verifies approval records ({@code <stateDir>/approvals/<id>.json}). */
public final class ApprovalRecords {
    private static final String HMAC = "HmacSHA256";
    private final ApprovalKeys keys;

    public ApprovalRecords(ApprovalKeys keys) {
        this.keys = keys;
    }

    /** The record signed with the current key; exit 2 when KOREA_APPROVAL_KEY is not set. */
    public ApprovalRecord sign(ApprovalRecord unsigned) {
        byte[] key = keys.current().orElseThrow(() -> KoreaException.invalidInput(ApprovalKeys.KEY
                + " is not set: approval records are signed with it (a Jenkins secret-text credential)"));
        ApprovalRecord withId = unsigned.withSignature(keys.currentId(), null);
        return withId.withSignature(keys.currentId(), mac(key, canonical(withId)));
    }

    /**
     * Why the record is not a valid approval of {@code digest} of {@code component} for {@code environment} at
     * {@code now}; empty when it is. {@code component}/{@code digest} null: checks the signature and key only.
     */
    public Optional<String> problem(ApprovalRecord record, String environment, String component, String digest,
            Approval settings, Instant now) {
        if (record.signature() == null || record.keyId() == null) {
            return Optional.of("approval record " + record.id() + " is not signed");
        }
        Optional<Approval.SigningKey> listed = settings.signingKeys().stream().filter(k -> k.id().equals(record.keyId()))
                .findFirst();
        if (!settings.signingKeys().isEmpty() && listed.isEmpty()) {
            return Optional.of("approval record " + record.id() + " is signed with key '" + record.keyId()
                    + "', which approval.signingKeys does not list (accepted: "
                    + settings.signingKeys().stream().map(Approval.SigningKey::id).toList() + ")");
        }
        Optional<Instant> expires = listed.flatMap(Approval.SigningKey::expiresAt);
        if (expires.isPresent() && !now.isBefore(expires.get())) {
            return Optional.of("approval record " + record.id() + " is signed with key '" + record.keyId()
                    + "', which expired after " + listed.get().notAfter() + " (approval.signingKeys)");
        }
        Optional<byte[]> key = keys.forId(record.keyId());
        if (key.isEmpty()) {
            return Optional.of("approval record " + record.id() + " is signed with key '" + record.keyId()
                    + "', whose secret is not set (" + ApprovalKeys.KEY + " with " + ApprovalKeys.KEY_ID + "="
                    + record.keyId() + ")");
        }
        String expected = mac(key.get(), canonical(record.withSignature(record.keyId(), null)));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                record.signature().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("approval record " + record.id() + " has an invalid signature: it was changed after "
                    + "signing or signed with another key");
        }
        if (environment != null && !environment.equals(record.environment())) {
            return Optional.of("approval record " + record.id() + " approves environment " + record.environment()
                    + ", not " + environment);
        }
        if (component != null) {
            Optional<ApprovalRecord.ApprovedImage> image = record.components().stream()
                    .filter(c -> c.component().equals(component)).findFirst();
            if (image.isEmpty()) {
                return Optional.of("approval record " + record.id() + " does not approve component " + component
                        + " (it approves " + record.components().stream().map(ApprovalRecord.ApprovedImage::component).toList()
                        + ")");
            }
            if (digest == null || !digest.equals(image.get().digest())) {
                return Optional.of("approval record " + record.id() + " approves " + component + " "
                        + image.get().digest() + ", not " + (digest == null ? "an image of unknown digest" : digest));
            }
        }
        try {
            if (record.createdAt() == null || Instant.parse(record.createdAt()).isAfter(now.plusSeconds(300))) {
                return Optional.of("approval record " + record.id() + " has no valid createdAt");
            }
        } catch (DateTimeParseException e) {
            return Optional.of("approval record " + record.id() + " has no valid createdAt: " + record.createdAt());
        }
        return Optional.empty();
    }

    /** Reads a record; exit 2 naming the file when it cannot be read. */
    public ApprovalRecord read(Path file) {
        try {
            return json().readValue(Files.readString(file, StandardCharsets.UTF_8), ApprovalRecord.class);
        } catch (JsonProcessingException e) {
            throw KoreaException.invalidInput(file + ": not an approval record (line " + e.getLocation().getLineNr()
                    + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw KoreaException.invalidInput(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Writes {@code <stateDir>/approvals/<id>.json} and returns its path. */
    public Path write(Path stateDir, ApprovalRecord record) {
        Path file = stateDir.resolve("approvals").resolve(record.id().replaceAll("[^A-Za-z0-9._-]", "-") + ".json");
        try {
            AtomicFiles.write(file, json().writerWithDefaultPrettyPrinter().writeValueAsString(record) + "\n");
            return file;
        } catch (IOException e) {
            throw new KoreaException(ExitCode.FAILURE, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The bytes signed: the record without its signature, keys sorted, no whitespace. */
    String canonical(ApprovalRecord record) {
        try {
            return json().writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sorted keys, so the signed bytes do not depend on field order. Made per use, not with the records: change
     * control builds these for every korea plan, which mostly never reads one (a fifth of its start).
     */
    private static ObjectMapper json() {
        return JsonMapping.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
    }

    private static String mac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java 17 runtime", e);
        }
    }

}
