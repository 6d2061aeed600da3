// The lesson-profile example servers, through the command line.
import { classifyExamples } from './examples';

classifyExamples('lesson');
