import { CreateRunner } from './create-runner';
import { DeleteRunner } from './delete-runner';
import type { WriteExecutor } from './executor';
import { RelationsRunner } from './relations-runner';
import { SingletonRunner } from './singleton-runner';
import { UpdateRunner } from './update-runner';

/**
 * The runner of each operation over one executor, as they call each other for nested writes (a create's M2O rows
 * and O2M children, a deselection's updates or deletes, ...).
 */
export class Runners {
  readonly create: CreateRunner;
  readonly update: UpdateRunner;
  readonly delete: DeleteRunner;
  readonly singleton: SingletonRunner;
  readonly relations: RelationsRunner;

  constructor(exec: WriteExecutor) {
    this.create = new CreateRunner(exec, this);
    this.update = new UpdateRunner(exec, this);
    this.delete = new DeleteRunner(exec);
    this.singleton = new SingletonRunner(exec, this);
    this.relations = new RelationsRunner(exec, this);
  }
}
