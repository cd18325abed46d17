ALTER TABLE "articles" ADD COLUMN "views" bigint NOT NULL DEFAULT 0
-- params: []

ALTER TABLE "articles" ADD COLUMN "seq" bigserial
-- params: []
