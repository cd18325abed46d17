CREATE TABLE "articles" ("id" serial PRIMARY KEY, "key" uuid NOT NULL, "title" varchar(80) NOT NULL DEFAULT 'it''s', "price" numeric(8, 2) DEFAULT 1.5, "published" boolean DEFAULT false, "created" timestamptz DEFAULT CURRENT_TIMESTAMP, "data" json DEFAULT '{"a":[1,"b"]}', "we""ird" text)
-- params: []
