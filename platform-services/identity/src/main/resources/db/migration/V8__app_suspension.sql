-- A suspended app gets no tokens at all (its people's sign-ins, refreshes and its own client credentials are
-- refused) while its client, secret and grants are kept: the webos app market suspends an app it withdraws and
-- resumes it when the app is published again.
ALTER TABLE apps ADD COLUMN suspended boolean NOT NULL DEFAULT false;
