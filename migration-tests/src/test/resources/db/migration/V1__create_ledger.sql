create table ledger (id bigint primary key, amount bigint not null);
