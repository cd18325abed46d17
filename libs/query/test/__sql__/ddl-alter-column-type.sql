ALTER TABLE "articles" ALTER COLUMN "title" TYPE varchar(20) USING "title"::varchar
-- params: []

ALTER TABLE "articles" ALTER COLUMN "price" TYPE numeric(10, 5) USING "price"::numeric
-- params: []

ALTER TABLE "articles" ALTER COLUMN "views" TYPE integer USING "views"::integer
-- params: []
