-- where object, order, limit
SELECT `id`, `name`, `email`, `age`, `is_active`, `created_at` FROM `users` WHERE `users`.`name` = ? AND `users`.`age` IN (?, ?) ORDER BY `users`.`name` ASC LIMIT 5
-- params: ["Ann",30,40]

-- raw where, or, null, offset
SELECT `id`, `name`, `email`, `age`, `is_active`, `created_at` FROM `users` WHERE (age > ?) OR (`users`.`age` IS NULL) LIMIT 18446744073709551615 OFFSET 10
-- params: [3]

-- whereIn empty, whereNotNull
SELECT `id`, `name`, `email`, `age`, `is_active`, `created_at` FROM `users` WHERE (1 = 0) AND (`users`.`email` IS NOT NULL)

-- join, select with alias, distinct
SELECT DISTINCT `users`.`name`, `p`.`title` FROM `users` INNER JOIN `posts` AS `p` ON p.user_id = users.id

-- group, aggregates, having
SELECT `id`, `name`, `email`, `age`, `is_active`, `created_at` FROM `users` GROUP BY `users`.`is_active` HAVING count(id) > ?
-- params: [1]

-- for update
SELECT `id`, `name`, `email`, `age`, `is_active`, `created_at` FROM `users` WHERE `users`.`id` = ? FOR UPDATE
-- params: [1]

-- sql fragment and ?? literal
SELECT `id`, `name`, `email`, `age`, `is_active`, `created_at` FROM `users` WHERE (age > ?) AND (name ? ?)
-- params: [18,"x"]

-- find by key
SELECT `id`, `name`, `email`, `age`, `is_active`, `created_at` FROM `users` WHERE `id` = ?

-- insert one
INSERT INTO `users` (`name`, `email`, `age`, `is_active`, `created_at`) VALUES (?, ?, ?, ?, ?)

-- insert one returning the key
INSERT INTO `users` (`name`, `email`, `age`, `is_active`, `created_at`) VALUES (?, ?, ?, ?, ?) RETURNING `id`

-- insert three rows
INSERT INTO `users` (`name`, `email`) VALUES (?, ?), (?, ?), (?, ?)

-- insert defaults only
INSERT INTO `users` () VALUES ()

-- update by key
UPDATE `users` SET `name` = ?, `email` = ? WHERE `id` = ?

-- update with an extra condition
UPDATE `users` SET `name` = ? WHERE `id` = ? AND (`lock_version` = ?)
-- params: [3]

-- delete by key
DELETE FROM `users` WHERE `id` = ?

-- upsert on email
INSERT INTO `users` (`name`, `email`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)

-- update all
UPDATE `users` SET `is_active` = ? WHERE `age` > ?
-- params: [0,30]

-- create table users
CREATE TABLE `users` (
  `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `name` VARCHAR(100) NOT NULL,
  `email` VARCHAR(255) NOT NULL UNIQUE,
  `age` BIGINT,
  `is_active` TINYINT(1) NOT NULL DEFAULT 1,
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin

-- create table kinds
CREATE TABLE IF NOT EXISTS `kinds` (
  `id` CHAR(36) PRIMARY KEY NOT NULL,
  `big` BIGINT NOT NULL,
  `real` DOUBLE,
  `money` DECIMAL(12, 2) NOT NULL DEFAULT '0',
  `wide` LONGTEXT,
  `flag` TINYINT(1) NOT NULL DEFAULT 0,
  `day` DATE NOT NULL DEFAULT (CURRENT_DATE),
  `clock` TIME(6),
  `doc` JSON,
  `blob` LONGBLOB,
  `owner_id` BIGINT NOT NULL,
  FOREIGN KEY (`owner_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin

-- limit and offset
 LIMIT 18446744073709551615 OFFSET 20

-- begin {}
START TRANSACTION

-- begin {"readOnly":true}
START TRANSACTION READ ONLY

-- begin {"isolation":"serializable"}
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
START TRANSACTION

-- savepoints
SAVEPOINT `a`;
RELEASE SAVEPOINT `a`;
ROLLBACK TO SAVEPOINT `a`

-- error sqlite unique
QueryError (MySQL: for key 'users.email')

-- error sqlite busy
QueryError (MySQL: for key 'users.email')

-- error sqlstate unique
QueryError (MySQL: for key 'users.email')

-- error sqlstate deadlock
QueryError (MySQL: for key 'users.email')

-- error sqlstate canceled
QueryError (MySQL: for key 'users.email')

-- error errno duplicate
UniqueViolationError (MySQL: duplicate entry for key 'users.email')

-- error errno lock wait
LockTimeoutError (MySQL: for key 'users.email')

-- error errno interrupted
QueryCanceledError (MySQL: for key 'users.email')
