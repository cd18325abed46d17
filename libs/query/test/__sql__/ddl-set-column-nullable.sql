ALTER TABLE "articles" ALTER COLUMN "title" DROP NOT NULL
-- params: []

ALTER TABLE "articles" ALTER COLUMN "title" SET NOT NULL
-- params: []
