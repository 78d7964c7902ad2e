// The download worker with the fault its name asks for (tests only): the fault is installed before the worker's modules run.
import './download-faults.test-support.ts';
import './download.worker.ts';
