--liquibase formatted sql

--changeset dbfault:1
create table if not exists liquibase_ledger (id bigint primary key);
