#!/usr/bin/env python3
"""Writes a large, realistic Trivy JSON report (schema 2) for the scan benchmark.

usage: generate-trivy-report.py SIZE_MB OUT.json

Deterministic (seeded), streamed to disk so the generator itself stays small. Each result carries a
Packages list (as --list-all-pkgs does since v0.67) and vulnerabilities with descriptions, references
and CVSS, plus some secret and misconfiguration results.
"""
import json
import random
import sys

SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"]
WEIGHTS = [3, 15, 50, 27, 5]
STATUSES = ["fixed", "fixed", "fixed", "affected", "will_not_fix", "fix_deferred"]


def vulnerability(rng, n, target):
    pkg = "pkg%d" % rng.randrange(5000)
    sev = rng.choices(SEVERITIES, WEIGHTS)[0]
    status = rng.choice(STATUSES)
    v = {
        "VulnerabilityID": "CVE-%d-%05d" % (2015 + n % 11, n % 100000),
        "VendorIDs": ["DSA-%d-1" % (n % 9000)],
        "PkgID": "%s@1.%d.%d" % (pkg, n % 30, n % 7),
        "PkgName": pkg,
        "PkgIdentifier": {"PURL": "pkg:deb/debian/%s@1.%d.%d?arch=amd64&distro=debian-12.8" % (pkg, n % 30, n % 7),
                          "UID": "%016x" % rng.getrandbits(64)},
        "InstalledVersion": "1.%d.%d" % (n % 30, n % 7),
    }
    if status == "fixed":
        v["FixedVersion"] = "1.%d.%d" % (n % 30, n % 7 + 1)
    v["Status"] = status
    v["Layer"] = {"Digest": "sha256:%064x" % rng.getrandbits(256), "DiffID": "sha256:%064x" % rng.getrandbits(256)}
    v["SeveritySource"] = "nvd"
    v["PrimaryURL"] = "https://avd.aquasec.com/nvd/" + v["VulnerabilityID"].lower()
    v["DataSource"] = {"ID": "debian", "Name": "Debian Security Tracker",
                       "URL": "https://salsa.debian.org/security-tracker-team/security-tracker"}
    v["Fingerprint"] = "sha256:%064x" % rng.getrandbits(256)
    v["Title"] = "%s: memory corruption in %s parser" % (pkg, target.split()[0])
    v["Description"] = ("A flaw was found in %s. " % pkg) + "An attacker could exploit this to cause a denial " \
        "of service or possibly execute arbitrary code via crafted input. " * rng.randrange(2, 6)
    v["Severity"] = sev
    v["CweIDs"] = ["CWE-%d" % rng.choice([20, 79, 119, 125, 400, 787])]
    v["VendorSeverity"] = {"debian": rng.randrange(5), "nvd": SEVERITIES[::-1].index(sev) if sev != "UNKNOWN" else 0}
    v["CVSS"] = {"nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "V3Score": 9.8,
                         "V2Vector": "AV:N/AC:L/Au:N/C:P/I:P/A:P", "V2Score": 7.5}}
    v["References"] = ["https://security-tracker.debian.org/tracker/" + v["VulnerabilityID"],
                       "https://nvd.nist.gov/vuln/detail/" + v["VulnerabilityID"],
                       "https://www.cve.org/CVERecord?id=" + v["VulnerabilityID"]]
    v["PublishedDate"] = "2023-0%d-1%dT10:15:00Z" % (1 + n % 9, n % 10)
    v["LastModifiedDate"] = "2024-0%d-2%dT08:00:00Z" % (1 + n % 9, n % 10)
    return v


def main():
    size = int(sys.argv[1]) * 1024 * 1024
    out_path = sys.argv[2]
    rng = random.Random(20261126)
    written = 0
    n = 0
    r = 0
    with open(out_path, "w", encoding="utf-8") as out:
        head = ('{"SchemaVersion":2,"Trivy":{"Version":"0.58.1"},"CreatedAt":"2026-11-20T10:00:00Z",'
                '"ArtifactName":"registry.example.com/korea/bench:1.0","ArtifactType":"container_image",'
                '"Metadata":{"ImageID":"sha256:%s","RepoDigests":["registry.example.com/korea/bench@sha256:%s"]},'
                '"Results":[' % ("b" * 64, "a" * 64))
        out.write(head)
        written += len(head)
        while written < size:
            target = "registry.example.com/korea/bench:1.0 (debian 12.8) layer %d" % r
            if r % 50 == 7:
                result = {"Target": "app/config/settings-%d.py" % r, "Class": "secret", "Secrets": [
                    {"RuleID": "aws-access-key-id", "Category": "AWS", "Severity": "CRITICAL",
                     "Title": "AWS Access Key ID", "StartLine": 3, "EndLine": 3,
                     "Code": {"Lines": [{"Number": 3, "Content": "KEY=****", "IsCause": True}]},
                     "Match": "KEY=****", "Layer": {}}]}
            elif r % 50 == 13:
                result = {"Target": "Dockerfile.%d" % r, "Class": "config", "Type": "dockerfile",
                          "MisconfSummary": {"Successes": 20, "Failures": 2}, "Misconfigurations": [
                              {"Type": "Dockerfile Security Check", "ID": "DS-0002", "Title": "root user",
                               "Severity": "HIGH", "Status": "FAIL", "Layer": {},
                               "CauseMetadata": {"Provider": "Dockerfile", "Service": "general"}},
                              {"Type": "Dockerfile Security Check", "ID": "DS-0026", "Title": "no healthcheck",
                               "Severity": "LOW", "Status": "FAIL", "Layer": {}},
                              {"Type": "Dockerfile Security Check", "ID": "DS-0001", "Title": "latest tag",
                               "Severity": "MEDIUM", "Status": "PASS", "Layer": {}}]}
            else:
                packages = [{"ID": "pkg%d@1.0" % i, "Name": "pkg%d" % i, "Identifier": {
                    "PURL": "pkg:deb/debian/pkg%d@1.0?arch=amd64" % i}, "Version": "1.0", "Arch": "amd64",
                    "SrcName": "pkg%d" % i, "SrcVersion": "1.0", "Licenses": ["GPL-2.0"],
                    "Layer": {"DiffID": "sha256:%064x" % i}} for i in range(60)]
                vulns = []
                for _ in range(200):
                    vulns.append(vulnerability(rng, n, target))
                    n += 1
                result = {"Target": target, "Class": "os-pkgs", "Type": "debian", "Packages": packages,
                          "Vulnerabilities": vulns}
            text = ("," if r else "") + json.dumps(result, separators=(",", ":"))
            out.write(text)
            written += len(text)
            r += 1
        out.write("]}\n")
    print("wrote %s: %d MB, %d results, %d vulnerabilities" % (out_path, written // (1024 * 1024), r, n),
          file=sys.stderr)


if __name__ == "__main__":
    main()
