create table if not exists accounts (
    id      bigint primary key,
    balance bigint not null check (balance >= 0)
);

create table if not exists ledger (
    id              bigserial primary key,
    account_id      bigint not null,
    amount          bigint not null,
    idempotency_key text unique,
    created_at      timestamptz not null default now()
);

create table if not exists writes (
    key        text primary key,
    written_at timestamptz not null default now()
);
