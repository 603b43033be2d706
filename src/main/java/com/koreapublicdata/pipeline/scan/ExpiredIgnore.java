package com.koreapublicdata.pipeline.scan;

/**
 * An exception in the ignore file whose date has passed: it no longer suppresses anything.
 *
 * @param id        the id it named
 * @param expires   its expiry date as written
 * @param source    where it is written ({@code .trivyignore:7})
 * @param statement its statement or comment, or null
 * @param matched   how many findings in this scan it would have suppressed (they now count, and may block)
 */
public record ExpiredIgnore(String id, String expires, String source, String statement, long matched) {
}
