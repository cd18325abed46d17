ALTER TABLE "articles" ALTER COLUMN "title" SET DEFAULT 'x'
-- params: []

ALTER TABLE "articles" ALTER COLUMN "created" SET DEFAULT CURRENT_TIMESTAMP
-- params: []

ALTER TABLE "articles" ALTER COLUMN "title" DROP DEFAULT
-- params: []
