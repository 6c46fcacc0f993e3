create table if not exists orders (
    id              bigserial primary key,
    idempotency_key text not null unique,
    customer        text not null,
    amount_cents    bigint not null check (amount_cents > 0),
    created_at      timestamptz not null default now()
);

create table if not exists payments (
    id           bigserial primary key,
    order_id     bigint not null references orders (id),
    amount_cents bigint not null,
    created_at   timestamptz not null default now()
);
