-- The direct-mode CA's private key is sealed with pureboot.clone.secrets.key (AES-256-GCM) instead of
-- stored as plain PEM. A CA stored before this has no sealed key: it is dropped, and the next
-- certificate request makes a new one (certificates of the old CA stop being trusted by new sources).
delete from direct_ca;
alter table direct_ca rename column private_key_pem to private_key_sealed;
comment on column direct_ca.private_key_sealed is 'PKCS#8 PEM sealed by SecretCipher (v1:<key id>:<nonce+ciphertext>)';
