-- Netdisk's metadata. Bytes are in the object store: one object per distinct content (blob), shared by every
-- version of every file with that SHA-256 and deleted only when the last reference goes. Migrations only add
-- (README.md, Database migrations): in a rolling upgrade the previous release runs against the new schema.

-- A personal space per person, a space per department (made by an administrator), team spaces anyone makes.
create table space (
  id             uuid primary key,
  kind           text        not null check (kind in ('PERSONAL', 'DEPARTMENT', 'TEAM')),
  name           text        not null check (length(name) between 1 and 255),
  -- PERSONAL: the person; DEPARTMENT: the department; TEAM: who made it
  owner_id       text        not null,
  quota_bytes    bigint      not null check (quota_bytes >= 0),
  -- every version of every file in the space, trash included, as uploaded (not deduplicated)
  used_bytes     bigint      not null default 0 check (used_bytes >= 0),
  -- declared sizes of uploads in progress: counted against the quota before their bytes arrive
  reserved_bytes bigint      not null default 0 check (reserved_bytes >= 0),
  created_at     timestamptz not null default now()
);
create unique index space_personal on space (owner_id) where kind = 'PERSONAL';
create unique index space_department on space (owner_id) where kind = 'DEPARTMENT';

-- Roles in a space, granted to people and departments (a department's grant reaches everyone in it and below,
-- through identity's departments claim, which lists every department above a person's own)
create table space_member (
  space_id       uuid not null references space (id),
  principal_type text not null check (principal_type in ('USER', 'DEPARTMENT')),
  principal_id   text not null,
  role           text not null check (role in ('OWNER', 'EDITOR', 'VIEWER')),
  primary key (space_id, principal_type, principal_id)
);
create index space_member_principal on space_member (principal_type, principal_id);

-- One stored content: its object's key is random (chosen before the content's hash is known), the hash is the key
create table blob (
  sha256     text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  size       bigint      not null check (size >= 0),
  object_key text        not null unique,
  refs       bigint      not null check (refs >= 0),
  created_at timestamptz not null default now()
);

-- Objects to delete from the store (a blob whose last reference went, an abandoned upload's object): written in
-- the transaction that drops the reference, deleted after it, so a failed delete is retried, never forgotten
create table object_deletion (
  object_key   text primary key,
  s3_upload_id text,
  requested_at timestamptz not null default now(),
  attempts     int         not null default 0
);

-- Files and folders
create table node (
  id          uuid primary key,
  space_id    uuid        not null references space (id),
  parent_id   uuid references node (id),
  name        text        not null check (length(name) between 1 and 255),
  folder      boolean     not null,
  -- the current version (files)
  size        bigint      not null default 0,
  sha256      text,
  version     int         not null default 0,
  created_by  text        not null,
  created_at  timestamptz not null default now(),
  modified_by text        not null,
  modified_at timestamptz not null default now(),
  -- in the trash since; trash_root marks what was deleted (its children went with it)
  trashed_at  timestamptz,
  trashed_by  text,
  trash_root  boolean     not null default false
);
create unique index node_name on node (space_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid),
  lower(name)) where trashed_at is null;
create index node_parent on node (parent_id);
create index node_recent on node (space_id, modified_at desc) where trashed_at is null;
create index node_trash on node (trashed_at) where trash_root;

-- Every version of a file, the current one included
create table version (
  node_id    uuid        not null references node (id),
  number     int         not null check (number >= 1),
  sha256     text        not null references blob (sha256),
  size       bigint      not null,
  created_by text        not null,
  created_at timestamptz not null default now(),
  primary key (node_id, number)
);

-- Uploads: a file arrives in chunks, each an S3 multipart part, so an upload survives a dropped connection and
-- a restarted replica and resumes on any replica
create table upload (
  id               uuid primary key,
  space_id         uuid        not null references space (id),
  parent_id        uuid references node (id),
  name             text        not null,
  -- the file it gives a new version of, or null for a new file
  replaces         uuid references node (id),
  -- when a live file has the name at the end: a new version of it, a new name beside it, or a refusal
  on_conflict      text        not null default 'VERSION' check (on_conflict in ('VERSION', 'RENAME', 'FAIL')),
  size             bigint      not null check (size >= 0),
  chunk_size       int         not null check (chunk_size > 0),
  -- declared by the client (instant send, and checked at the end when given)
  sha256           text,
  object_key       text        not null,
  s3_upload_id     text,
  state            text        not null check (state in ('OPEN', 'COMPLETED', 'ABORTED')),
  -- instant send: the client proves it holds the content by hashing this range of it
  challenge_offset bigint,
  challenge_length int,
  created_by       text        not null,
  created_at       timestamptz not null default now(),
  expires_at       timestamptz not null,
  node_id          uuid references node (id)
);
create index upload_expiry on upload (expires_at) where state = 'OPEN';

create table upload_chunk (
  upload_id uuid not null references upload (id),
  number    int  not null check (number >= 0),
  size      int  not null,
  sha256    text not null,
  etag      text not null,
  primary key (upload_id, number)
);

-- Share links
create table share (
  id              uuid primary key,
  token           text        not null unique,
  node_id         uuid        not null references node (id),
  created_by      text        not null,
  created_at      timestamptz not null default now(),
  expires_at      timestamptz,
  password_hash   text,
  download_limit  int check (download_limit > 0),
  downloads       int         not null default 0,
  failed_attempts int         not null default 0,
  locked_until    timestamptz,
  revoked_at      timestamptz,
  revoked_by      text
);
create index share_node on share (node_id);

create table comment (
  id         uuid primary key,
  node_id    uuid        not null references node (id),
  author     text        not null,
  body       text        not null check (length(body) between 1 and 4000),
  created_at timestamptz not null default now()
);
create index comment_node on comment (node_id, created_at);

-- Who read, changed, shared and deleted what, and when
create table audit_event (
  id       bigserial primary key,
  at       timestamptz not null default now(),
  actor    text        not null,
  action   text        not null,
  outcome  text        not null,
  space_id uuid,
  node_id  uuid,
  detail   text,
  address  text
);
create index audit_node on audit_event (node_id, at desc);
create index audit_space on audit_event (space_id, at desc);
create index audit_actor on audit_event (actor, at desc);

-- Events for the message center (to-dos, announcements), written in the transaction of what happened and sent
-- after it (a transactional outbox): none is lost when the message center is down, none sent for a rollback
create table outbox_event (
  id              bigserial primary key,
  kind            text        not null,
  payload         text        not null,
  created_at      timestamptz not null default now(),
  attempts        int         not null default 0,
  next_attempt_at timestamptz not null default now(),
  sent_at         timestamptz,
  last_error      text
);
create index outbox_pending on outbox_event (next_attempt_at) where sent_at is null;

-- Small facts netdisk keeps (e.g. its service account's id in the message center)
create table setting (
  name  text primary key,
  value text not null
);
