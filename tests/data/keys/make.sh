#!/usr/bin/env bash
# Regenerates the demo PKI of the signing tests with OpenSSL: a CA, one P-256 signer key in
# every form the tests read (plain and encrypted PKCS#8), and certificates for that key that
# are valid, expired or not yet valid. Demo material only: never use these keys for anything.
# Run from this directory; the tests read the files, not this script.
set -euo pipefail
PASS="demo passphrase"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signer.key.pem
# The same key, encrypted: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, with scrypt and
# AES-256-CBC, and with `pkey -aes256` (the encoder `genpkey -aes256` uses too).
openssl pkcs8 -topk8 -v2 aes-256-cbc -in signer.key.pem -out signer.pbkdf2.key.pem -passout "pass:$PASS"
openssl pkcs8 -topk8 -scrypt -in signer.key.pem -out signer.scrypt.key.pem -passout "pass:$PASS"
openssl pkey -in signer.key.pem -aes256 -passout "pass:$PASS" -out signer.aes256.key.pem

cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = demo
[demo]
dir = $work
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[any]
commonName = supplied
organizationName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
CN = xborder test CA
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[signer]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[encipher]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
touch "$work/index.txt"
echo 1000 > "$work/serial"
openssl req -new -key "$work/ca.key" -config "$work/ca.cnf" -out "$work/ca.csr"
openssl ca -batch -selfsign -config "$work/ca.cnf" -keyfile "$work/ca.key" -extensions v3_ca \
  -startdate 20200101000000Z -enddate 21200101000000Z -notext -in "$work/ca.csr" -out ca.pem

issue() { # NAME CN EXTENSIONS START END
  openssl req -new -key signer.key.pem -subj "/CN=$2/O=xborder tests" -out "$work/$1.csr"
  openssl ca -batch -config "$work/ca.cnf" -cert ca.pem -keyfile "$work/ca.key" -extensions "$3" \
    -startdate "$4" -enddate "$5" -notext -in "$work/$1.csr" -out "$1"
}
issue signer.pem "Test Signer" signer 20200101000000Z 21200101000000Z
issue expired.pem "Expired Signer" signer 20200101000000Z 20210101000000Z
issue not-yet-valid.pem "Future Signer" signer 20900101000000Z 21000101000000Z
issue encipher-only.pem "Encipher Only" encipher 20200101000000Z 21200101000000Z
